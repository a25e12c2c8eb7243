-- waves: every survey wave with its metadata, newest first.
-- $lang: text, 'fi', 'sv' or 'en': the language of the title
with titled as (
    select
        wave_id,
        localised($lang, title_fi, title_sv, title_en) as title,
        year,
        target_group,
        response_rate_percent,
        level,
        fictional,
        source
    from waves
)

select * from titled
order by year desc, wave_id desc
