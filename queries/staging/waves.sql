-- waves (staging view): the waves described in waves.csv, and every response-level wave that has
-- data but no row there (its title, year and response rate are then unknown: NULL, shown as such).
-- classification_year: the municipality register year the wave's codes follow (issue #7): from
-- waves.csv, else for a wave without a row the year its id starts with when the register (of the
-- wave's kind: real or fictional) has that year, else unknown. The same rule as
-- tilannekuva/register_check.py applies when a file is validated.
create view waves as
    select
        wave_id, title_fi, title_sv, title_en, year, classification_year, target_group,
        response_rate_percent, level, fictional, source
    from wave_metadata
    union all
    select
        wave as wave_id,
        null as title_fi,
        null as title_sv,
        null as title_en,
        case when regexp_matches(wave, '^(19|20)[0-9]{2}') then left(wave, 4)::integer end as year,
        (
            select max(register.year)
            from register_regions as register
            where regexp_matches(wave, '^(19|20)[0-9]{2}([^0-9]|$)')
              and register.year = left(wave, 4)::integer
              and register.fictional = bool_or(responses.fictional)
        ) as classification_year,
        'municipalities;police;rescue_services' as target_group,
        null as response_rate_percent,
        'response' as level,
        bool_or(fictional) as fictional,
        case when bool_or(fictional) then 'examples/' else 'responses/' end || wave || '.csv' as source
    from responses
    where wave not in (select wave_id from wave_metadata)
    group by wave;
