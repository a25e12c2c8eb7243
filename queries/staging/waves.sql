-- waves (staging view): the waves described in waves.csv, and every response-level wave that has
-- data but no row there (its title, year and response rate are then unknown: NULL, shown as such).
create view waves as
    select
        wave_id, title_fi, title_sv, title_en, year, target_group, response_rate_percent, level,
        fictional, source
    from wave_metadata
    union all
    select
        wave as wave_id,
        null as title_fi,
        null as title_sv,
        null as title_en,
        case when regexp_matches(wave, '^(19|20)[0-9]{2}') then left(wave, 4)::integer end as year,
        'municipalities;police;rescue_services' as target_group,
        null as response_rate_percent,
        'response' as level,
        bool_or(fictional) as fictional,
        case when bool_or(fictional) then 'examples/' else 'responses/' end || wave || '.csv' as source
    from responses
    where wave not in (select wave_id from wave_metadata)
    group by wave;
