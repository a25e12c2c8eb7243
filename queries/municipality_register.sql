-- municipality_register: the municipalities the municipality page offers for a wave: the register
-- of the wave's classification year (real or fictional, as the wave), else the municipalities its
-- answers name; in the selected regions.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en': the language of the names (Swedish names in Swedish)
-- counting rule: municipal
-- column municipality_code: code
-- column municipality_name: text
-- column region: text
with listed as (
    select subjects.municipality_code, subjects.municipality_name, subjects.region_code, names.region
    from municipality_subjects($wave, $regions, $lang) as subjects
    inner join named_regions($lang) as names on names.region_code = subjects.region_code
)

select municipality_code, municipality_name, region
from listed
order by municipality_name, municipality_code
