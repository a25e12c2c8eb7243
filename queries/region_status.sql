-- region_status: the regional status table of one wave, one row per selected region, ordered by code.
-- Counts are responses per region as the source gives them; NULL = not available in the source.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use': narrows a response-level wave by ARTU use
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
with selected as (
    select *
    from status_rows($wave, $artu)
    where in_selection(region_code, $regions)
),

named as (
    select
        selected.region_code as region_code,
        names.region as region,
        selected.plan_ready as plan_ready,
        selected.plan_started as plan_started,
        selected.plan_not_started as plan_not_started,
        selected.council_approved as council_approved,
        selected.published as published,
        selected.artu_in_use as artu_in_use,
        selected.in_progress_municipal as in_progress_municipal,
        selected.in_progress_sub_regional as in_progress_sub_regional,
        selected.in_progress_province_wide as in_progress_province_wide
    from selected
    inner join named_regions($lang) as names on names.region_code = selected.region_code
)

select * from named
order by region_code
