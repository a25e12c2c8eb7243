-- wave_change: each measure's share in this wave and in the previous real wave (previous_wave in
-- _macros.sql), and the change in percentage points, always with both waves' n/N. Empty when
-- there is nothing to compare: no previous wave, a previous wave that counts another unit (a
-- published regional table counts responses, a response-level wave municipalities: issue #7
-- item 6), or an ARTU filter (a published table has no municipalities to narrow). The total row
-- only where both waves' totals are over the same area (issue #16).
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use': narrows a response-level wave by ARTU use
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- $total: boolean, whether the total rows are wanted (never for a view of one region: with_total)
-- $total_label: text, the total row's label with {area} for the view's area ("{area} yhteensä")
-- $regions_label: text, an area without a name, {regions} for its regions ("Valitut maakunnat ({regions})")
-- counting rule: change
-- column previous_wave: code
-- column region_code: code
-- column region: text
-- column measure: label measure.
-- column n_previous: count, responses
-- column responses_previous: count, responses
-- column share_previous: share, of n_previous/responses_previous
-- column n: count, responses
-- column responses: count, responses
-- column share: share, of n/responses
-- column change_pp: decimal, pp
with now as (
    select *
    from measure_shares_of($wave, $regions, $artu, $lang, $total_label, $regions_label)
    where $artu = 'all' and (with_total($total, $wave, $regions) or region_code <> 'total')
),

before as (
    select *
    -- Unnamed: a row of both waves is shown with this wave's name for it (now.region); a total
    -- row is kept only over the same area, so its name is the same in both.
    from measure_counts_of(previous_wave($wave), $regions, $artu, $lang)
    where $artu = 'all' and (with_total($total, $wave, $regions) or region_code <> 'total')
),

change as (
    select
        previous_wave($wave) as previous_wave,
        before.region_code as region_code,
        now.region as region,
        before.measure as measure,
        before.n as n_previous,
        before.responses as responses_previous,
        before.share as share_previous,
        now.n as n,
        now.responses as responses,
        now.share as share,
        100 * (now.share - before.share) as change_pp
    from before
    inner join now on now.region_code = before.region_code and now.measure = before.measure
    where (select level from waves where wave_id = previous_wave($wave))
        = (select level from waves where wave_id = $wave)
      -- A region is itself in any wave; a total only over the same area (issue #16).
      and (
          before.region_code <> 'total'
          or view_area(previous_wave($wave), $regions, 'fi', '').key
              = view_area($wave, $regions, 'fi', '').key
      )
)

select * from change
order by region_code = 'total', region_code, measure_order(measure)
