-- integrity_problems: rows of the loaded data files that break a rule across files; empty when all
-- is well. Each row names the file and the problem (shown on the start page, never a traceback).
-- (no parameters)
with duplicate_regions as (
    select 'regions.csv' as file, 'region_code ' || region_code || ' appears twice' as problem
    from region_names
    group by region_code
    having count(*) > 1
),

duplicate_waves as (
    select 'waves.csv' as file, 'wave_id ' || wave_id || ' appears twice' as problem
    from wave_metadata
    group by wave_id
    having count(*) > 1
),

bad_waves as (
    select 'waves.csv' as file, 'wave_id ' || coalesce(wave_id, '') || ': level or response rate out of range' as problem
    from wave_metadata
    where level not in ('region', 'response')
       or level is null
       or response_rate_percent not between 0 and 100
       or wave_id is null
    union all
    -- Blank is neither: a wave is never taken for real (or fictional) by default.
    select 'waves.csv' as file, 'wave_id ' || wave_id || ': fictional must be true or false' as problem
    from wave_metadata
    where fictional is null and wave_id is not null
),

duplicate_status as (
    select 'region_status.csv' as file,
           'wave ' || wave_id || ', region ' || region_code || ' appears twice' as problem
    from published_region_status
    group by wave_id, region_code
    having count(*) > 1
),

unknown_keys as (
    select 'region_status.csv' as file,
           'unknown wave or region: ' || coalesce(s.wave_id, '') || ', ' || coalesce(s.region_code, '') as problem
    from published_region_status as s
    where s.wave_id not in (select wave_id from wave_metadata)
       or s.region_code not in (select region_code from region_names)
    union all
    select 'data_notes.csv' as file,
           'unknown wave or region: ' || coalesce(n.wave_id, '') || ', ' || coalesce(n.region_code, '') as problem
    from data_notes as n
    where n.wave_id not in (select wave_id from waves union all select wave_id from unavailable_waves)
       or n.region_code not in (select region_code from region_names)
    union all
    select 'workshops.csv' as file,
           'unknown wave or region: ' || coalesce(w.wave_id, '') || ', ' || coalesce(w.region_code, '') as problem
    from workshops as w
    where w.wave_id not in (select wave_id from waves union all select wave_id from unavailable_waves)
       or w.region_code not in (select region_code from region_names)
),

unknown_areas as (
    select 'waves.csv' as file,
           'wave_id ' || wave_id || ': area ' || area
           || ' is neither region codes (10;11) nor an area_id of areas.csv' as problem
    from wave_metadata
    where nullif(trim(area), '') is not null
      and not regexp_full_match(trim(area), '[0-9]{2}(;[0-9]{2})*')
      and trim(area) not in (select area_id from named_areas)
    union all
    select 'waves.csv' as file,
           'wave_id ' || wave_id || ': region ' || code || ' of its area is not in regions.csv' as problem
    from (
        select wave_id, unnest(string_split(trim(area), ';')) as code
        from wave_metadata
        where regexp_full_match(trim(area), '[0-9]{2}(;[0-9]{2})*')
    )
    where code not in (select region_code from region_names)
),

unknown_questionnaires as (
    select 'waves.csv' as file,
           'wave_id ' || wave_id || ': questionnaire ' || questionnaire
           || ' is not in data/questionnaires/' as problem
    from wave_metadata
    where nullif(trim(questionnaire), '') is not null
      and trim(questionnaire) not in (select questionnaire_id from questionnaires)
),

bad_areas as (
    select 'areas.csv' as file, 'area_id ' || area_id || ' appears twice' as problem
    from named_areas
    group by area_id
    having count(*) > 1
    union all
    select 'areas.csv' as file,
           'area_id ' || coalesce(area_id, '') || ': kind ' || coalesce(kind, '')
           || ' must be country, avi or wellbeing_county, with regions or a county code' as problem
    from named_areas
    where area_id is null
       or kind is null
       or kind not in ('country', 'avi', 'wellbeing_county')
       or (kind = 'wellbeing_county') <> (wellbeing_county_code is not null)
       or (kind = 'wellbeing_county') = (regions is not null)
       or coalesce(name_fi, name_sv, name_en) is null
       or name_fi is null or name_sv is null or name_en is null
    union all
    select 'areas.csv' as file,
           'area_id ' || area_id || ': region ' || region_code || ' is not in regions.csv' as problem
    from area_regions
    where region_code not in (select region_code from region_names)
),

bad_responses as (
    select 'responses/' || wave || '.csv' as file,
           'unknown region ' || region_code || ' or a wave published as a regional table' as problem
    from responses
    where region_code not in (select region_code from region_names)
       or wave in (select wave_id from published_region_status)
),

negative_counts as (
    select 'region_status.csv' as file,
           'negative count for wave ' || wave_id || ', region ' || region_code as problem
    from published_region_status
    where least(
        plan_ready, plan_started, plan_not_started, council_approved, published, artu_in_use,
        in_progress_municipal, in_progress_sub_regional, in_progress_province_wide
    ) < 0
),

bad_periods as (
    select 'workshop_milestones.csv' as file, 'period ends before it starts: ' || milestone as problem
    from workshop_milestones
    where period_end < period_start
       or precision not in ('day', 'month', 'early_month', 'iso_week')
),

all_problems as (
    select * from duplicate_regions
    union all select * from duplicate_waves
    union all select * from bad_waves
    union all select * from duplicate_status
    union all select * from unknown_keys
    union all select * from unknown_areas
    union all select * from unknown_questionnaires
    union all select * from bad_areas
    union all select * from bad_responses
    union all select * from negative_counts
    union all select * from bad_periods
)

select * from all_problems
