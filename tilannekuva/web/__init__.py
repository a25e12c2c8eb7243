"""Everything that imports Streamlit: the caches around the database (store), the view and the
shared page parts (ui), the download buttons, the municipality page's helpers and the upload
password. Nothing outside this package, app.py and app_pages/ imports streamlit
(tests/test_boundaries.py holds it); Streamlit's private APIs are used in web/internals.py only."""
