-- municipality_waves: for each municipality of the wave's register (the selected regions), every
-- wave of the same kind (real or fictional): the municipality as that wave knew it (following the
-- mergers: a predecessor under its own name), whether the municipality, the police and the rescue
-- services answered about it (unknown where the wave has no answers per municipality or its codes
-- cannot be matched), and whether the plan statuses agree (unknown with fewer than two answers).
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en': the language of the names
-- column municipality_code: code
-- column wave_id: code
-- column year: code
-- column followed: label municipality_followed.
-- column answer_code: code
-- column answer_name: text
-- column answered_municipality: bool
-- column answered_police: bool
-- column answered_rescue: bool
-- column agree: bool
with followed as (
    select * from municipality_followed($wave, $regions, $lang)
),

answers as (
    select wave, municipality_code, respondent_type, plan_status
    from responses
),

answered as (
    select
        followed.municipality_code,
        followed.wave_id,
        followed.year,
        followed.followed,
        followed.answer_code,
        followed.answer_name,
        count(*) filter (where answers.respondent_type = 'municipality') as by_municipality,
        count(*) filter (where answers.respondent_type = 'police') as by_police,
        count(*) filter (where answers.respondent_type = 'rescue') as by_rescue,
        count(answers.plan_status) as statuses,
        count(distinct answers.plan_status) as distinct_statuses
    from followed
    left join answers
        on answers.wave = followed.wave_id and answers.municipality_code = followed.answer_code
    group by all
),

marked as (
    select
        *,
        followed = 'responses' as known
    from answered
)

select
    municipality_code,
    wave_id,
    year,
    followed,
    answer_code,
    answer_name,
    case when known then by_municipality > 0 end as answered_municipality,
    case when known then by_police > 0 end as answered_police,
    case when known then by_rescue > 0 end as answered_rescue,
    case when known and statuses > 1 then distinct_statuses = 1 end as agree
from marked
order by municipality_code, year nulls last, wave_id, answer_code
