-- data_notes: the notes on cells of one wave for the selected regions, in one language.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en'
-- counting rule: listing
-- column region_code: code
-- column region: text
-- column measure: label measure.
-- column note: text
with selected as (
    select *
    from data_notes
    where wave_id = $wave
      and in_selection(region_code, $regions)
),

named as (
    select
        selected.region_code as region_code,
        names.region as region,
        selected.measure as measure,
        localised($lang, selected.note_fi, selected.note_sv, selected.note_en) as note
    from selected
    inner join named_regions($lang) as names on names.region_code = selected.region_code
)

select * from named
-- The scope cells in the table's column order (municipal, sub-regional, province-wide).
order by
    region_code,
    list_position(
        ['in_progress_municipal', 'in_progress_sub_regional', 'in_progress_province_wide'], measure
    ),
    measure
