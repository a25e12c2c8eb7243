-- municipality_waves: for each municipality of the wave's register (the selected regions), every
-- wave of the same kind (real or fictional): the municipality as that wave knew it (following the
-- mergers: a predecessor under its own name), whether the municipality, the police and the rescue
-- services answered about it (unknown where the wave has no answers per municipality or its codes
-- cannot be matched), whether the plan statuses agree (unknown with fewer than two answers), and
-- the plan's status by the answer the regional figures use (chosen_answers: the municipality's
-- own, else the rescue services', else the police's) and whose answer that is: the municipality's
-- path across rounds (issue #21).
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en': the language of the names
-- $municipality_code: text, one municipality's code, or '' for every municipality of the view
-- first on the page: answer_name, wave_id, plan_status, status_by
-- counting rule: municipal
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
-- column plan_status: label status.
-- column status_by: label respondent.
with followed as (
    select * from municipality_followed($wave, $regions, $lang, $municipality_code)
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
    marked.municipality_code,
    marked.wave_id,
    marked.year,
    marked.followed,
    marked.answer_code,
    marked.answer_name,
    case when marked.known then marked.by_municipality > 0 end as answered_municipality,
    case when marked.known then marked.by_police > 0 end as answered_police,
    case when marked.known then marked.by_rescue > 0 end as answered_rescue,
    case when marked.known and marked.statuses > 1 then marked.distinct_statuses = 1 end as agree,
    chosen.plan_status,
    chosen.respondent_type as status_by
from marked
left join chosen_answers as chosen
    on marked.known
   and chosen.wave_id = marked.wave_id
   and chosen.municipality_code = marked.answer_code
order by municipality_code, year nulls last, wave_id, answer_code
