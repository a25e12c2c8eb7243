-- workshops: the workshop of each selected region in one wave, in date order.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
with selected as (
    select *
    from workshops
    where wave_id = $wave
      and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], region_code))
),

named as (
    select
        selected.region_code as region_code,
        case $lang when 'sv' then regions.name_sv when 'en' then regions.name_en else regions.name_fi end
            as region,
        selected.workshop_date as workshop_date
    from selected
    inner join regions on regions.region_code = selected.region_code
)

select * from named
order by workshop_date, region_code
