-- planning_scope: plans in progress by scope (municipal, sub-regional, province-wide) per selected
-- region and in total. n is NULL where the source leaves the cell blank, and a total is NULL where
-- any part is: never a zero that no source cell backs.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use': narrows a response-level wave by ARTU use
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- $total: boolean, whether the total rows are wanted (never for a view of one region: with_total)
-- $total_label: text, the total row's label with {area} for the view's area ("{area} yhteensä")
-- $regions_label: text, an area without a name, {regions} for its regions ("Valitut maakunnat ({regions})")
-- counting rule: scope
-- column region_code: code
-- column region: text
-- column scope: label scope.
-- column n: count, responses
with per_region as (
    select
        region_code,
        region,
        in_progress_municipal as municipal,
        in_progress_sub_regional as sub_regional,
        in_progress_province_wide as province_wide
    from selected_status($wave, $regions, $artu, $lang)
),

by_region as (
    select *
    from per_region
    unpivot include nulls (n for scope in (municipal, sub_regional, province_wide))
),

total as (
    select
        'total' as region_code,
        total_label($wave, $regions, $lang, $total_label, $regions_label) as region,
        scope,
        known_total(n) as n
    from by_region
    where with_total($total, $wave, $regions)
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
