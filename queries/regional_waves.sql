-- regional_waves: the waves published as regional tables; a response file may not take their ids.
-- (no parameters)
with published as (
    select distinct wave_id
    from published_region_status
)

select * from published
order by wave_id
