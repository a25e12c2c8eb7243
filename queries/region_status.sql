-- region_status: the regional status table of one wave, one row per selected region, ordered by
-- code, and the total row. Counts are responses per region as the source gives them; NULL = not
-- available in the source, and a total is NULL where any part is, or where no region is selected.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use': narrows a response-level wave by ARTU use
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- $total: boolean, whether the total rows are wanted (never for a view of one region: with_total)
-- $total_label: text, the total row's label with {area} for the view's area ("{area} yhteensä")
-- $regions_label: text, an area without a name, {regions} for its regions ("Valitut maakunnat ({regions})")
-- counting rule: counts
-- column region_code: code
-- column region: text
-- column plan_ready: count, responses
-- column plan_started: count, responses
-- column plan_not_started: count, responses
-- column council_approved: count, responses
-- column published: count, responses
-- column artu_in_use: count, responses
-- column in_progress_municipal: count, responses
-- column in_progress_sub_regional: count, responses
-- column in_progress_province_wide: count, responses
with selected as (
    select *
    from selected_status($wave, $regions, $artu, $lang)
),

by_region as (
    select
        region_code, region, plan_ready, plan_started, plan_not_started, council_approved,
        published, artu_in_use, in_progress_municipal, in_progress_sub_regional,
        in_progress_province_wide
    from selected
),

total as (
    select
        'total' as region_code,
        total_label($wave, $regions, $lang, $total_label, $regions_label) as region,
        known_total(plan_ready) as plan_ready,
        known_total(plan_started) as plan_started,
        known_total(plan_not_started) as plan_not_started,
        known_total(council_approved) as council_approved,
        known_total(published) as published,
        known_total(artu_in_use) as artu_in_use,
        known_total(in_progress_municipal) as in_progress_municipal,
        known_total(in_progress_sub_regional) as in_progress_sub_regional,
        known_total(in_progress_province_wide) as in_progress_province_wide
    from selected
    having with_total($total, $wave, $regions)
),

combined as (
    select * from by_region
    union all
    select * from total
)

select * from combined
order by region_code = 'total', region_code
