-- municipality_answers: for each municipality of the wave's register (the selected regions), every
-- answer about it in every wave of the same kind (real or fictional), the municipality's, the
-- police's and the rescue services' side by side, under the name the municipality had in that
-- wave (a predecessor that merged into it later keeps its own name). Blank answers stay unknown.
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en': the language of the names
-- $municipality_code: text, one municipality's code, or '' for every municipality of the view
-- first on the page: answer_name, wave_id, respondent_type, plan_status
-- counting rule: answers
-- column municipality_code: code
-- column wave_id: code
-- column answer_code: code
-- column answer_name: text
-- column respondent_type: label respondent.
-- column organisation: text
-- column plan_status: label status.
-- column plan_year: code
-- column plan_scope: label scope.
-- column council_approved: bool
-- column published: bool
-- column artu_in_use: bool
with followed as (
    select * from municipality_followed($wave, $regions, $lang, $municipality_code)
    where followed = 'responses'
),

answers as (
    select
        followed.municipality_code,
        followed.wave_id,
        followed.year,
        followed.answer_code,
        followed.answer_name,
        responses.respondent_type,
        responses.organisation,
        responses.plan_status,
        responses.plan_year,
        responses.plan_scope,
        responses.council_approved,
        responses.published,
        responses.artu_in_use
    from followed
    inner join responses
        on responses.wave = followed.wave_id
       and responses.municipality_code = followed.answer_code
)

select * exclude (year)
from answers
order by
    municipality_code,
    year nulls last,
    wave_id,
    answer_code,
    list_position(['municipality', 'police', 'rescue'], respondent_type)
