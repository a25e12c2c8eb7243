-- workshops: the workshop of each selected region in one wave, in date order.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en': the language of the region names
-- counting rule: listing
-- column region_code: code
-- column region: text
-- column workshop_date: date
with selected as (
    select *
    from workshops
    where wave_id = $wave
      and in_selection(region_code, $regions)
),

named as (
    select
        selected.region_code as region_code,
        names.region as region,
        selected.workshop_date as workshop_date
    from selected
    inner join named_regions($lang) as names on names.region_code = selected.region_code
)

select * from named
order by workshop_date, region_code
