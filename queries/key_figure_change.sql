-- key_figure_change: each headline figure of the overview (key_figures) beside the same figure in
-- the previous comparable wave: the wave before $wave in its trend (trend_waves_of in _macros.sql:
-- the same kind, real or fictional, ordered by year) over the same area (issue #16: a total of
-- Lappi and Kainuu is never compared with one of Itä-Suomi). The change in percentage points is
-- given only when both waves count the same unit; across a change of unit (a regional table
-- counts responses, a response-level wave municipalities) it is unknown, never computed. No rows
-- when there is no previous comparable wave (the first wave over this area, or $wave has no
-- year).
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use': narrows a response-level wave by ARTU use
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- counting rule: trend
-- column measure: label measure.
-- column unit: label unit.
-- column previous_wave: code
-- column previous_year: code
-- column previous_unit: label unit.
-- column n_previous: count
-- column total_n_previous: count
-- column share_previous: share, of n_previous/total_n_previous
-- column few_answers_previous: bool
-- column n: count
-- column total_n: count
-- column share: share, of n/total_n
-- column change_pp: decimal, pp
with this_wave as (
    select wave_id, year, unit, area_key
    from trend_waves_of($wave, $regions)
    where wave_id = $wave
),

previous as (
    select older.wave_id, older.year, older.unit
    from trend_waves_of($wave, $regions) as older, this_wave
    where older.area_key = this_wave.area_key
      and (
          older.year < this_wave.year
          or (older.year = this_wave.year and older.wave_id < this_wave.wave_id)
      )
    order by older.year desc, older.wave_id desc
    limit 1
),

headline as (
    select *
    from measure_counts_of($wave, $regions, $artu, $lang)
    where region_code = 'total'
      and measure in ('plan_ready', 'council_approved', 'published', 'artu_in_use')
),

before as (
    select measured.*
    from previous,
        measure_counts_of(previous.wave_id, $regions, $artu, $lang) as measured
    where measured.region_code = 'total'
),

change as (
    select
        headline.measure as measure,
        this_wave.unit as unit,
        previous.wave_id as previous_wave,
        previous.year as previous_year,
        previous.unit as previous_unit,
        before.n as n_previous,
        before.responses as total_n_previous,
        before.share as share_previous,
        -- fewer than 5 answers under the previous figure are marked too (issue #8)
        before.responses < 5 as few_answers_previous,
        headline.n as n,
        headline.responses as total_n,
        headline.share as share,
        case
            when previous.unit = this_wave.unit
                then 100 * (headline.share - before.share)
        end as change_pp
    from headline
    cross join this_wave
    cross join previous
    left join before on before.measure = headline.measure
)

select * from change
order by measure_order(measure)
