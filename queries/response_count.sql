-- response_count: how many response rows of one wave the database holds (import reconciliation).
-- $wave: text, the wave id
with counted as (
    select count(*)::integer as rows
    from responses
    where wave = $wave
)

select * from counted
