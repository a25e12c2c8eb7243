-- planning_scope: plans in progress by scope (municipal, sub-regional, province-wide) per selected
-- region and in total. n is NULL where the source leaves the cell blank, and a total is NULL where
-- any part is: never a zero that no source cell backs.
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
        selected.in_progress_municipal as municipal,
        selected.in_progress_sub_regional as sub_regional,
        selected.in_progress_province_wide as province_wide
    from selected
    inner join named_regions($lang) as names on names.region_code = selected.region_code
),

by_region as (
    select *
    from per_region
    unpivot include nulls (n for scope in (municipal, sub_regional, province_wide))
),

total as (
    select
        'total' as region_code,
        $total_label::varchar as region,
        scope,
        case when count(*) = count(n) then sum(n) end as n
    from by_region
    group by scope
),

combined as (
    select region_code, region, scope, n from by_region
    union all
    select region_code, region, scope, n from total
),

typed as (
    select region_code, region, scope, n::integer as n from combined
)

select * from typed
order by
    region_code = 'total',
    region_code,
    list_position(['municipal', 'sub_regional', 'province_wide'], scope)
