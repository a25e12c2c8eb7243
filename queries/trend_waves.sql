-- trend_waves: every wave of the same kind as $wave (real or fictional: never mixed), in the order
-- of the trend, with its unit and segment (trend_waves_of in _macros.sql). A wave without a year
-- has no place on the time axis: it is listed last with in_trend false and no segment, so the
-- trends page can name it; a row with its year in waves.csv puts it on the axis.
-- $wave: text, the wave id whose kind (real or fictional) the trend follows
-- counting rule: trend
-- column wave_id: code
-- column year: code
-- column unit: label unit.
-- column segment: count
-- column in_trend: bool
with kind as (
    select wave_id, year, level
    from waves
    where fictional = (select fictional from waves where wave_id = $wave)
),

listed as (
    select
        kind.wave_id as wave_id,
        kind.year as year,
        case kind.level when 'region' then 'responses' else 'municipalities' end as unit,
        placed.segment as segment,
        placed.wave_id is not null as in_trend
    from kind
    left join trend_waves_of($wave, []::varchar[]) as placed on placed.wave_id = kind.wave_id
)

select * from listed
order by in_trend desc, year, wave_id
