-- artu_adoption: ARTU in use (n/N and the share n/N) per selected region and in total, and the rest,
-- N − n, "not in use or not reported": the regional table cannot tell those two apart, so they are
-- never shown as "not in use".
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
-- column n: count, responses
-- column responses: count, responses
-- column share: share, of n/responses
-- column not_in_use_or_not_reported: count, responses
-- column not_in_use_or_not_reported_share: share, of not_in_use_or_not_reported/responses
with artu as (
    select region_code, region, n, responses, share
    from measure_shares_of($wave, $regions, $artu, $lang, $total_label, $regions_label)
    where (with_total($total, $wave, $regions) or region_code <> 'total') and measure = 'artu_in_use'
),

-- The rest is counted before the ARTU filter, on the same N: with the filter "not in use", n is
-- 0 by definition, and N − n would call the region's ARTU users "not in use" (issue #8).
unfiltered as (
    select region_code, n
    from measure_shares_of($wave, $regions, 'all', $lang, $total_label, $regions_label)
    where measure = 'artu_in_use'
),

rest as (
    select
        artu.*,
        artu.responses - unfiltered.n as not_in_use_or_not_reported,
        case
            when artu.responses > 0
                then (artu.responses - unfiltered.n)::double / artu.responses
        end as not_in_use_or_not_reported_share
    from artu
    left join unfiltered on unfiltered.region_code = artu.region_code
)

select * from rest
order by region_code = 'total', region_code
