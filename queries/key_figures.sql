-- key_figures: the headline figures of the overview: plans ready, approved, published and ARTU in
-- use over all selected regions, as n, N and n / N as a fraction (0..1).
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use': narrows a response-level wave by ARTU use
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
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
with totals as (
    select *
    from measure_shares_of($wave, $regions, $artu, $lang, $total_label, $regions_label)
    where region_code = 'total'
      and measure in ('plan_ready', 'council_approved', 'published', 'artu_in_use')
)

-- Fewer than 5 answers under a headline figure are marked, as on the comparison (issue #8).
select *, responses < 5 as few_answers from totals
order by measure_order(measure)
