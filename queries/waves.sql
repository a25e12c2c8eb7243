-- waves: every survey wave with its metadata, newest first.
-- $lang: text, 'fi', 'sv' or 'en': the language of the title
with titled as (
    select
        wave_id,
        case $lang when 'sv' then title_sv when 'en' then title_en else title_fi end as title,
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
