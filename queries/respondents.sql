-- respondents: who answered, per region and respondent type: the municipalities of the wave's
-- area in its register (its classification year: wave_municipalities) with an answer of that
-- type, of all expected (issues #7, #16).
-- "any" counts a municipality with an answer of any type. For a wave whose classification year is
-- unknown, who should have answered is unknown: the regions answered about keep their answered
-- counts, expected and the share are unknown (NULL, shown as ".."), never zero.
-- level: response
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- counting rule: shares
-- column region_code: code
-- column region: text
-- column respondent_type: label respondent.
-- column answered: count, municipalities
-- column expected: count, municipalities
-- column share: share, of answered/expected
with register_known as (
    select exists (select 1 from wave_municipalities where wave_id = $wave) as known
),

expected as (
    select municipality_code, region_code
    from wave_municipalities
    where wave_id = $wave and in_selection(region_code, $regions)
    union
    -- Without a register, the municipalities answered about are the only ones known.
    select distinct municipality_code, region_code
    from responses
    where wave = $wave
      and in_selection(region_code, $regions)
      and not (select known from register_known)
),

types as (
    select unnest(['any', 'municipality', 'police', 'rescue']) as respondent_type
),

counted as (
    select
        expected.region_code,
        types.respondent_type,
        (count(answers.municipality_code))::integer as answered,
        case when (select known from register_known) then (count(*))::integer end as expected
    from expected
    cross join types
    left join answered_by_type($wave) as answers
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
        counted.answered::double / counted.expected as share
    from counted
    inner join named_regions($lang) as names on names.region_code = counted.region_code
)

select * from shared
order by region_code, list_position(['any', 'municipality', 'police', 'rescue'], respondent_type)
