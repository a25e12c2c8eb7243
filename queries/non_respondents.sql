-- non_respondents: the chase list: per region and respondent type, each municipality of the
-- wave's area in its register (its classification year: wave_municipalities) without an answer
-- of that type (issues #7, #16): never a municipality outside the area the wave was sent to.
-- "any" lists the municipalities that no one answered about. A wave whose classification year
-- is unknown has no rows (the page says why).
-- level: response
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en': the language of the region and municipality names
-- counting rule: answers
-- column region: text
-- column respondent_type: label respondent.
-- column municipality_code: code
-- column municipality_name: text
with expected as (
    select
        municipality_code,
        region_code,
        register_name($lang, name_fi, name_sv) as municipality_name
    from wave_municipalities
    where wave_id = $wave and in_selection(region_code, $regions)
),

types as (
    select unnest(['any', 'municipality', 'police', 'rescue']) as respondent_type
),

missing as (
    select
        expected.region_code,
        names.region,
        types.respondent_type,
        expected.municipality_code,
        expected.municipality_name
    from expected
    cross join types
    inner join named_regions($lang) as names on names.region_code = expected.region_code
    anti join answered_by_type($wave) as answers
        on answers.municipality_code = expected.municipality_code
       and answers.respondent_type = types.respondent_type
)

select region, respondent_type, municipality_code, municipality_name
from missing
order by
    region_code,
    list_position(['any', 'municipality', 'police', 'rescue'], respondent_type),
    municipality_code
