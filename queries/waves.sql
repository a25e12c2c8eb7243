-- waves: every survey wave with its metadata: real waves newest first, then fictional examples.
-- $lang: text, 'fi', 'sv' or 'en': the language of the title
-- column wave_id: code
-- column title: text
-- column year: code
-- column classification_year: code
-- column target_group: labels target.
-- column response_rate_percent: count, %
-- column level: label level.
-- column fictional: bool
-- column source: text
with titled as (
    select
        wave_id,
        localised($lang, title_fi, title_sv, title_en) as title,
        year,
        classification_year,
        target_group,
        response_rate_percent,
        level,
        fictional,
        source
    from waves
)

select * from titled
order by fictional, year desc nulls last, wave_id desc
