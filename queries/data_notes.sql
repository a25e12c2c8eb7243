-- data_notes: the notes on cells of one wave for the selected regions, in one language.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en'
with selected as (
    select *
    from data_notes
    where wave_id = $wave
      and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], region_code))
),

named as (
    select
        selected.region_code as region_code,
        case $lang when 'sv' then regions.name_sv when 'en' then regions.name_en else regions.name_fi end
            as region,
        selected.measure as measure,
        case $lang when 'sv' then selected.note_sv when 'en' then selected.note_en else selected.note_fi end
            as note
    from selected
    inner join regions on regions.region_code = selected.region_code
)

select * from named
order by region_code, measure
