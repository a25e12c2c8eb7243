-- chosen_answers (staging table): one answer per municipality and wave for the regional figures:
-- the municipality's own answer, else the rescue service's, else the police's (issue #3).
create table chosen_answers as
    select * exclude (answer_rank)
    from (
        select
            wave as wave_id,
            * exclude (wave),
            row_number() over (
                partition by wave, municipality_code
                order by list_position(['municipality', 'rescue', 'police'], respondent_type)
            ) as answer_rank
        from responses
    )
    where answer_rank = 1;
