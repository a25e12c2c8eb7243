-- area_names: the named areas of data/areas.csv in one language, countries first, then the AVI
-- areas and the wellbeing services counties, each by name: the upload page's choices of the area
-- a wave was sent to. Not a table: no -- column lines.
-- $lang: text, 'fi', 'sv' or 'en'
select area_id, localised($lang, name_fi, name_sv, name_en) as area
from named_areas
order by list_position(['country', 'avi', 'wellbeing_county'], kind), area
