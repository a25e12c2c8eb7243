-- artu_by_plan_status: ARTU use (in use / not in use / unanswered) against plan status, over the
-- municipalities of a response-level wave: do ARTU users have plans ready more often?
-- level: response
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use'
-- counting rule: shares
-- column artu: label artu_answer.
-- column plan_ready: count, municipalities
-- column plan_started: count, municipalities
-- column plan_not_started: count, municipalities
-- column municipalities: count, municipalities
-- column ready_share: share, of plan_ready/municipalities
with chosen as (
    select
        case
            when artu_in_use then 'in_use'
            when not artu_in_use then 'not_in_use'
            else 'unanswered'
        end as artu,
        plan_status
    from chosen_in_selection($wave, $regions, $artu, 'fi')
),

grouped as (
    select
        artu,
        (count(*) filter (where plan_status = 'ready'))::integer as plan_ready,
        (count(*) filter (where plan_status = 'started'))::integer as plan_started,
        (count(*) filter (where plan_status = 'not_started'))::integer as plan_not_started,
        count(*)::integer as municipalities
    from chosen
    group by artu
),

shares as (
    select *, plan_ready::double / municipalities as ready_share
    from grouped
)

select * from shares
order by list_position(['in_use', 'not_in_use', 'unanswered'], artu)
