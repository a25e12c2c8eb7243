-- target_group: the workshops' target group per selected region and in total: plans not started
-- and started, as n, N and n / N as a fraction (0..1).
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use': narrows a response-level wave by ARTU use
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- $total: boolean, whether the total rows are wanted (never for a view of one region: with_total)
-- $total_label: text, the total row's label with {area} for the view's area ("{area} yhteensä")
-- $regions_label: text, an area without a name, {regions} for its regions ("Valitut maakunnat ({regions})")
-- counting rule: shares
-- column region_code: code
-- column region: text
-- column measure: label measure.
-- column n: count, responses
-- column responses: count, responses
-- column share: share, of n/responses
-- column few_answers: bool
with target as (
    select *
    from measure_shares_of($wave, $regions, $artu, $lang, $total_label, $regions_label)
    where (with_total($total, $wave, $regions) or region_code <> 'total')
      and measure in ('plan_not_started', 'plan_started')
)

-- Fewer than 5 answers under a share are marked, as on the comparison (issue #8).
select *, responses < 5 as few_answers from target
order by region_code = 'total', region_code, measure_order(measure)
