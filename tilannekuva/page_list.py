"""The app's pages, in the navigation's order: the one list that app.py, the tests and the bench
read (issue #20 item 4: it was written out in four places, and the sidebar's note of the pages
that need response-level data had lost "Vastanneet ja vastaamatta", issue #21)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    file: str  # in app_pages/
    title: str  # the catalogue key of its title
    icon: str
    address: str  # the URL path, the same in every language ("" is the overview)
    # Shows nothing but a notice on a regional table (the 2009 wave): it needs answers by
    # municipality. Named in the sidebar under the filters on such a wave.
    response_level: bool = False


PAGES = (
    Page("overview.py", "page.overview", ":material/dashboard:", ""),
    Page("compare.py", "page.compare", ":material/bar_chart:", "compare"),
    Page("map.py", "page.map", ":material/public:", "map"),
    Page("trends.py", "page.trends", ":material/timeline:", "trends"),
    Page("scope.py", "page.scope", ":material/map:", "scope"),
    Page("artu.py", "page.artu", ":material/build:", "artu"),
    Page("target.py", "page.target", ":material/event:", "target"),
    Page("worklist.py", "page.worklist", ":material/checklist:", "worklist", True),
    Page("themes.py", "page.themes", ":material/groups:", "themes", True),
    Page("questions.py", "page.questions", ":material/quiz:", "questions", True),
    Page(
        "municipalities.py",
        "page.municipalities",
        ":material/location_city:",
        "municipalities",
        True,
    ),
    Page("respondents.py", "page.respondents", ":material/how_to_reg:", "respondents", True),
    Page("municipality.py", "page.municipality", ":material/home_work:", "municipality"),
    Page("data.py", "page.data", ":material/download:", "data"),
    Page("upload.py", "page.upload", ":material/upload_file:", "upload"),
    Page("accessibility.py", "page.accessibility", ":material/accessibility:", "accessibility"),
)
