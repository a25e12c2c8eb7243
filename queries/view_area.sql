-- view_area: the area a view covers, in one row (view_area and view_regions in _macros.sql): the
-- key that says which area it is in any language, its name in $lang (the name the total rows
-- use), and the codes of its regions in code order. Not a table: no download, no -- column lines.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all the wave's regions
-- $lang: text, 'fi', 'sv' or 'en'
-- $regions_label: text, an area without a name, {regions} for its regions ("Valitut maakunnat ({regions})")
with area as (
    select view_area($wave, $regions, $lang, $regions_label) as area
),

codes as (
    select coalesce(list_sort(list(region_code)), []::varchar[]) as region_codes
    from view_regions($wave, $regions)
)

select area.area.key as area_key, area.area.name as area, codes.region_codes
from area, codes
