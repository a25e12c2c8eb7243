-- waves: every survey wave with its metadata: real waves newest first, then fictional examples;
-- the area it was sent to by its name (view_areas, issue #16) and the questionnaire it asked.
-- $lang: text, 'fi', 'sv' or 'en': the language of the title and the area
-- $regions_label: text, an area without a name, {regions} for its regions ("Valitut maakunnat ({regions})")
-- $fictional_source: text, what a fictional wave's source is, in the UI language (issue #21: the
--   examples' source cell, a note for the developers, read half Finnish, half English)
-- counting rule: listing
-- column wave_id: code
-- column title: text
-- column year: code
-- column classification_year: code
-- column target_group: labels target.
-- column response_rate_percent: count, %
-- column level: label level.
-- column fictional: bool
-- column source: text
-- column area: text
-- column questionnaire: code
with titled as (
    -- The wave by its alias: a macro's argument is substituted as written (trend_waves_of).
    select
        wave_row.wave_id,
        localised($lang, wave_row.title_fi, wave_row.title_sv, wave_row.title_en) as title,
        wave_row.year,
        wave_row.classification_year,
        wave_row.target_group,
        wave_row.response_rate_percent,
        wave_row.level,
        wave_row.fictional,
        case when wave_row.fictional then $fictional_source else wave_row.source end as source,
        areas.name as area,
        wave_row.questionnaire
    from waves as wave_row
    inner join view_areas([]::varchar[], $lang, $regions_label) as areas
        on areas.wave_id = wave_row.wave_id
)

select * from titled
order by fictional, year desc nulls last, wave_id desc
