-- other_trends: the questions of the wave's questionnaire that are not core measures, in total
-- over every wave of the same kind (real or fictional) that asked the same question with the same
-- meaning (issue #16: the same questionnaire, or one that names the other in the question's
-- same_as), ordered by year: n, answered and n / answered as a fraction per choice, as in
-- other_answers. Each wave's total is over the area the view covers in that wave and its label
-- names that area (total_label), so totals of two areas are never one series. A wave without a
-- year has no place in a trend and is left out.
-- level: response
-- $wave: text, the selected wave: the trend follows its questionnaire and kind
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use'
-- $lang: text, 'fi', 'sv' or 'en': the language of the names and texts
-- $total_label: text, the total row's label with {area} for the view's area ("{area} yhteensä")
-- $regions_label: text, an area without a name, {regions} for its regions ("Valitut maakunnat ({regions})")
-- counting rule: shares
-- column wave_id: code
-- column year: code
-- column region: text
-- column question_id: code
-- column question: text
-- column choice_id: code
-- column choice: text
-- column n: count, municipalities
-- column answered: count, municipalities
-- column share: share, of n/answered
with this_questionnaire as (
    select questionnaire from waves where wave_id = $wave
),

asked as (
    select question_id, position, localised($lang, label_fi, label_sv, label_en) as question
    from questions
    where questionnaire_id = (select questionnaire from this_questionnaire)
      and not core
      and type in ('one_choice', 'several_choices', 'yes_no')
),

choices as (
    select
        asked.question_id,
        asked.position,
        asked.question,
        offered.choice_id,
        offered.position as choice_position,
        localised($lang, offered.text_fi, offered.text_sv, offered.text_en) as choice
    from asked
    inner join question_choices as offered
        on offered.questionnaire_id = (select questionnaire from this_questionnaire)
       and offered.question_id = asked.question_id
),

-- The waves of the trend (trend_waves_of) that asked each question with the same meaning.
trend_wave as (
    select placed.wave_id, placed.year, waves.questionnaire
    from trend_waves_of($wave, $regions) as placed
    inner join waves on waves.wave_id = placed.wave_id
    where waves.level = 'response'
),

same as (
    select trend_wave.wave_id, trend_wave.year, asked.question_id
    from trend_wave
    cross join asked
    where trend_wave.questionnaire = (select questionnaire from this_questionnaire)
       or exists (
           select 1
           from question_links as link
           where link.question_id = asked.question_id
             and (
                 (link.questionnaire_id = (select questionnaire from this_questionnaire)
                     and link.same_as = trend_wave.questionnaire)
                 or (link.questionnaire_id = trend_wave.questionnaire
                     and link.same_as = (select questionnaire from this_questionnaire))
             )
       )
),

given as (
    select same.wave_id, same.year, same.question_id, answers.value
    from same
    inner join chosen_answers as chosen
        on chosen.wave_id = same.wave_id
       and chosen.region_code in (select region_code from view_regions(same.wave_id, $regions))
       and artu_matches(chosen.artu_in_use, $artu)
    inner join answers
        on answers.wave = same.wave_id
       and answers.municipality_code = chosen.municipality_code
       and answers.respondent_type = chosen.respondent_type
       and answers.question_id = same.question_id
),

counted as (
    select
        given.wave_id,
        given.year,
        choices.question_id,
        choices.question,
        choices.choice_id,
        choices.choice,
        choices.position,
        choices.choice_position,
        (count(*) filter (
            where list_contains(string_split(given.value, ';'), choices.choice_id)
        ))::integer as n,
        count(given.value)::integer as answered
    from given
    inner join choices on choices.question_id = given.question_id
    group by all
),

labelled as (
    select
        counted.*,
        total_label(counted.wave_id, $regions, $lang, $total_label, $regions_label) as region,
        case when answered > 0 then n::double / answered end as share
    from counted
)

select
    wave_id, year, region, question_id, question, choice_id, choice, n, answered, share
from labelled
order by position, choice_position, year, wave_id
