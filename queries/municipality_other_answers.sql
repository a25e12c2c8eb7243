-- municipality_other_answers: every answer of a response-level wave to the questions of its
-- questionnaire that are not core measures (issue #16), per municipality and respondent, in the
-- selected regions, for the municipality page: the chosen choices' texts (several joined by ", "),
-- yes or no, or the year; blank where the respondent left the question blank. Free text is never
-- stored, so never here.
-- level: response
-- $wave: text, the wave id
-- $regions: list of region codes (text); empty list = all regions
-- $lang: text, 'fi', 'sv' or 'en': the language of the names and texts
--   (municipality_names: the register's, Swedish in Swedish)
-- counting rule: answers
-- column municipality_name: text
-- column municipality_code: code
-- column respondent_type: label respondent.
-- column question_id: code
-- column question: text
-- column answer: text
with asked as (
    select question_id, position, type, localised($lang, label_fi, label_sv, label_en) as question
    from questions
    where questionnaire_id = (select questionnaire from waves where wave_id = $wave)
      and not core
),

given as (
    select
        answers.municipality_code,
        answers.respondent_type,
        answers.question_id,
        answers.value,
        asked.position,
        asked.question,
        asked.type
    from answers
    inner join asked on asked.question_id = answers.question_id
    inner join responses
        on responses.wave = answers.wave
       and responses.municipality_code = answers.municipality_code
       and responses.respondent_type = answers.respondent_type
    where answers.wave = $wave and in_selection(responses.region_code, $regions)
),

worded as (
    select
        given.*,
        case
            when given.type = 'year' then given.value
            else (
                select string_agg(
                    localised($lang, offered.text_fi, offered.text_sv, offered.text_en), ', '
                    order by offered.position
                )
                from question_choices as offered
                where offered.questionnaire_id = (select questionnaire from waves where wave_id = $wave)
                  and offered.question_id = given.question_id
                  and list_contains(string_split(given.value, ';'), offered.choice_id)
            )
        end as answer
    from given
)

select
    named.municipality_name,
    worded.municipality_code,
    worded.respondent_type,
    worded.question_id,
    worded.question,
    worded.answer
from worded
inner join municipality_names($wave, $lang) as named
    on named.municipality_code = worded.municipality_code
order by
    named.municipality_name,
    worded.municipality_code,
    list_position(['municipality', 'rescue', 'police'], worded.respondent_type),
    worded.position
