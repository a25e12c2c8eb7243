-- trends: each plan measure per selected region and in total in every wave of the same kind as
-- $wave (real waves with real ones, fictional examples with fictional ones, never mixed), ordered
-- by year: n, N, n / N as a fraction (0..1), the wave's unit, and a segment that changes where the unit
-- changes (a regional table counts responses, a response-level wave municipalities: a line is
-- never drawn across a change of unit); the total's segment changes also where the area the view
-- covers changes, and its label names each wave's area, so totals of two areas are never joined
-- (issue #16). A wave without a year has no place on the time axis and is left out (the
-- trend_waves table names it). The ARTU filter narrows
-- response-level waves only; a published regional table has no rows under it (status_rows).
-- $wave: text, the selected wave: the trend follows its kind (real or fictional) and marks it
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use': narrows a response-level wave by ARTU use
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- $total: boolean, whether the total rows are wanted (never for a view of one region: with_total)
-- $total_label: text, the total row's label with {area} for the view's area ("{area} yhteensä")
-- $regions_label: text, an area without a name, {regions} for its regions ("Valitut maakunnat ({regions})")
-- counting rule: trend
-- column wave_id: code
-- column year: code
-- column unit: label unit.
-- column segment: count
-- column selected: bool
-- column region_code: code
-- column region: text
-- column measure: label measure.
-- column n: count
-- column total_n: count
-- column share: share, of n/total_n
with shares as (
    select
        segmented.wave_id as wave_id,
        segmented.year as year,
        segmented.unit as unit,
        -- A region's figures break where the unit changes, the total also where its area does.
        case
            when measured.region_code = 'total' then segmented.area_segment
            else segmented.segment
        end as segment,
        segmented.wave_id = $wave as selected,
        measured.region_code as region_code,
        measured.region as region,
        measured.measure as measure,
        measured.n as n,
        measured.responses as total_n,
        measured.share as share
    from trend_waves_of($wave, $regions) as segmented,
        measure_shares_of(
            segmented.wave_id, $regions, $artu, $lang, $total_label, $regions_label
        ) as measured
    where with_total($total, $wave, $regions) or measured.region_code <> 'total'
)

select * from shares
order by region_code = 'total', region_code, measure_order(measure), year, wave_id
