-- respondents: who answered, per region and respondent type: the municipalities of the wave's
-- register (its classification year) with an answer of that type, of all expected (issue #7).
-- "any" counts a municipality with an answer of any type. A wave whose classification year is
-- unknown has no rows (the page says why).
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- column region_code: code
-- column region: text
-- column respondent_type: label respondent.
-- column answered: count, municipalities
-- column expected: count, municipalities
-- column share_percent: decimal, %
with expected as (
    select municipality_code, region_code
    from waves_register
    where wave_id = $wave and in_selection(region_code, $regions)
),

types as (
    select unnest(['any', 'municipality', 'police', 'rescue']) as respondent_type
),

answers as (
    select distinct municipality_code, respondent_type
    from responses
    where wave = $wave
    union
    select distinct municipality_code, 'any' as respondent_type
    from responses
    where wave = $wave
),

counted as (
    select
        expected.region_code,
        types.respondent_type,
        (count(answers.municipality_code))::integer as answered,
        (count(*))::integer as expected
    from expected
    cross join types
    left join answers
        on answers.municipality_code = expected.municipality_code
       and answers.respondent_type = types.respondent_type
    group by expected.region_code, types.respondent_type
),

shared as (
    select
        counted.region_code,
        names.region,
        counted.respondent_type,
        counted.answered,
        counted.expected,
        round(100.0 * counted.answered / counted.expected, 1) as share_percent
    from counted
    inner join named_regions($lang) as names on names.region_code = counted.region_code
)

select * from shared
order by region_code, list_position(['any', 'municipality', 'police', 'rescue'], respondent_type)
