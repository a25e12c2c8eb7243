-- measure_shares: each plan measure per selected region and in total, as n, N and the fraction n / N
-- (see measure_shares_of in _macros.sql). When the view covers only some of the wave's
-- regions, the total of the wave's whole area follows as a benchmark (region_code 'total_all'):
-- one region alone once lost it (issue #8).
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
with shares as (
    select *
    from measure_shares_of($wave, $regions, $artu, $lang, $total_label, $regions_label)
    where with_total($total, $wave, $regions) or region_code <> 'total'
),

benchmark as (
    select 'total_all' as region_code, region, measure, n, responses, share
    from measure_shares_of($wave, []::varchar[], $artu, $lang, $total_label, $regions_label)
    where $total  -- beside one region too: the whole area as its benchmark (issue #8)
      and region_code = 'total'
      and (select count(*) from view_regions($wave, $regions))
          < (select count(*) from view_regions($wave, []::varchar[]))
),

combined as (
    select * from shares
    union all
    select * from benchmark
)

-- A share over fewer than 5 answers is marked, as statistical offices flag small numbers
-- (issue #8); an unknown base leaves the mark unknown.
select *, responses < 5 as few_answers
from combined
order by region_code = 'total_all', region_code = 'total', region_code, measure_order(measure)
