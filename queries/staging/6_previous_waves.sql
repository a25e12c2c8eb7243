-- previous_waves (staging table): each wave's previous wave, the newest real wave older than it
-- (of the smallest id in that year); NULL for a fictional wave, a wave without a year, or the
-- first one. A fictional wave is never compared with real ones (issue #3). Made once at load:
-- wave_change asks for it five times (previous_wave in queries/_macros.sql).
create table previous_waves as
    with firsts as (
        select year, min(wave_id) as wave_id
        from waves
        where not fictional and year is not null
        group by year
    )

    select wave.wave_id, case when not wave.fictional then older.wave_id end as previous_wave_id
    from waves as wave
    asof left join firsts as older on wave.year > older.year;
