-- wave_coverage (staging table): the regions each wave was sent to (wave_regions) as one sorted
-- list, [] for a wave with none: what view_areas (queries/_macros.sql) narrows to a view's regions.
create table wave_coverage as
    select
        waves.wave_id,
        coalesce(
            list_sort(list(sent.region_code) filter (where sent.region_code is not null)),
            []::varchar[]
        ) as whole
    from waves
    left join wave_regions as sent on sent.wave_id = waves.wave_id
    group by waves.wave_id;
