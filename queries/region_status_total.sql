-- region_status_total: one total row over the selected regions of one wave.
-- A total is unknown (NULL) where any part is unknown, or where no region is selected: SQL's sum()
-- would skip NULLs silently and show a number that no source cell backs (issue #2).
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use': narrows a response-level wave by ARTU use
-- $total_label: text, the label of the row, e.g. 'Itä-Suomi yhteensä'
with selected as (
    select *
    from status_rows($wave, $artu)
    where in_selection(region_code, $regions)
),

total as (
    select
        'total' as region_code,
        $total_label::varchar as region,
        case when count(*) > 0 and count(plan_ready) = count(*) then sum(plan_ready)::integer end as plan_ready,
        case when count(*) > 0 and count(plan_started) = count(*) then sum(plan_started)::integer end
            as plan_started,
        case when count(*) > 0 and count(plan_not_started) = count(*) then sum(plan_not_started)::integer end
            as plan_not_started,
        case when count(*) > 0 and count(council_approved) = count(*) then sum(council_approved)::integer end
            as council_approved,
        case when count(*) > 0 and count(published) = count(*) then sum(published)::integer end as published,
        case when count(*) > 0 and count(artu_in_use) = count(*) then sum(artu_in_use)::integer end
            as artu_in_use,
        case when count(*) > 0 and count(in_progress_municipal) = count(*)
            then sum(in_progress_municipal)::integer end as in_progress_municipal,
        case when count(*) > 0 and count(in_progress_sub_regional) = count(*)
            then sum(in_progress_sub_regional)::integer end as in_progress_sub_regional,
        case when count(*) > 0 and count(in_progress_province_wide) = count(*)
            then sum(in_progress_province_wide)::integer end as in_progress_province_wide
    from selected
)

select * from total
