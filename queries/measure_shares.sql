-- measure_shares: each plan measure per selected region and in total, as n, N and n / N.
-- N (responses) = plan ready + started + not started of that region in that wave. The total of a
-- measure is unknown (NULL) where any region's part is unknown; a share is NULL where n or N is.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use': narrows a response-level wave by ARTU use
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- $total_label: text, the label of the total rows
with selected as (
    select *
    from status_rows($wave, $artu)
    where in_selection(region_code, $regions)
),

per_region as (
    select
        selected.region_code as region_code,
        names.region as region,
        selected.plan_ready + selected.plan_started + selected.plan_not_started as responses,
        selected.plan_ready as plan_ready,
        selected.plan_started as plan_started,
        selected.plan_not_started as plan_not_started,
        selected.council_approved as council_approved,
        selected.published as published,
        selected.artu_in_use as artu_in_use
    from selected
    inner join named_regions($lang) as names on names.region_code = selected.region_code
),

by_region as (
    select *
    from per_region
    unpivot include nulls (n for measure in (plan_ready, plan_started, plan_not_started, council_approved, published, artu_in_use))
),

total as (
    select
        'total' as region_code,
        $total_label::varchar as region,
        measure,
        case when count(*) = count(n) then sum(n) end as n,
        case when count(*) = count(responses) then sum(responses) end as responses
    from by_region
    group by measure
),

combined as (
    select region_code, region, measure, n, responses from by_region
    union all
    select region_code, region, measure, n, responses from total
),

shares as (
    select
        region_code,
        region,
        measure,
        n::integer as n,
        responses::integer as responses,
        case when responses > 0 then n / responses end as share
    from combined
)

select * from shares
order by
    region_code = 'total',
    region_code,
    list_position(
        ['plan_ready', 'plan_started', 'plan_not_started', 'council_approved', 'published', 'artu_in_use'],
        measure
    )
