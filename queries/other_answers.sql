-- other_answers: the questions of the wave's questionnaire that are not core measures (issue #16,
-- the "Muut kysymykset" page), per selected region and in total: for each choice of each
-- one-choice, several-choices and yes/no question, the municipalities whose chosen answer (own,
-- else rescue, else police) picks it (n), those that answered the question (answered) and those
-- that were asked it and left it blank (unanswered, never counted as any choice; a municipality
-- the question was not asked of, by its applies_when, is in neither); share = n / answered, a
-- fraction. Several choices: a municipality counts under each choice it picked, so the shares of a
-- question may add up to more than 100 %. A year question has no choices and is not here (the
-- municipality page shows it). Texts in $lang from the questionnaire's own file.
-- level: response
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $artu: text, 'all', 'in_use' or 'not_in_use'
-- $lang: text, 'fi', 'sv' or 'en': the language of the names and texts
-- $total: boolean, whether the total rows are wanted (never for a view of one region: with_total)
-- $total_label: text, the total row's label with {area} for the view's area ("{area} yhteensä")
-- $regions_label: text, an area without a name, {regions} for its regions ("Valitut maakunnat ({regions})")
-- counting rule: shares
-- column region_code: code
-- column region: text
-- column question_id: code
-- column question: text
-- column choice_id: code
-- column choice: text
-- column n: count, municipalities
-- column answered: count, municipalities
-- column unanswered: count, municipalities
-- column share: share, of n/answered
with chosen as (
    select municipality_code, respondent_type, region_code, region
    from chosen_in_selection($wave, $regions, $artu, $lang)
),

asked as (
    select question_id, position, localised($lang, label_fi, label_sv, label_en) as question
    from questions
    where questionnaire_id = (select questionnaire from waves where wave_id = $wave)
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
        on offered.questionnaire_id = (select questionnaire from waves where wave_id = $wave)
       and offered.question_id = asked.question_id
),

given as (
    select chosen.region_code, chosen.region, answers.question_id, answers.value, answers.asked
    from chosen
    inner join answers
        on answers.wave = $wave
       and answers.municipality_code = chosen.municipality_code
       and answers.respondent_type = chosen.respondent_type
),

per_region as (
    select
        given.region_code,
        given.region,
        choices.question_id,
        choices.question,
        choices.choice_id,
        choices.choice,
        choices.position,
        choices.choice_position,
        (count(*) filter (
            where list_contains(string_split(given.value, ';'), choices.choice_id)
        ))::integer as n,
        count(given.value)::integer as answered,
        (count(*) filter (where given.value is null and given.asked))::integer as unanswered
    from given
    inner join choices on choices.question_id = given.question_id
    group by all
),

total as (
    select
        'total' as region_code,
        total_label($wave, $regions, $lang, $total_label, $regions_label) as region,
        question_id, question, choice_id, choice, position, choice_position,
        known_total(n) as n,
        known_total(answered) as answered,
        known_total(unanswered) as unanswered
    from per_region
    where with_total($total, $wave, $regions)
    group by question_id, question, choice_id, choice, position, choice_position
),

combined as (
    select * from per_region
    union all
    select * from total
),

shared as (
    select
        *,
        case when answered > 0 then n::double / answered end as share
    from combined
)

select
    region_code, region, question_id, question, choice_id, choice, n, answered, unanswered,
    share
from shared
order by region_code = 'total', region_code, position, choice_position
