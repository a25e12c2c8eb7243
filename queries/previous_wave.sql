-- previous_wave: the newest real wave older than $wave (the previous_wave macro), or NULL.
-- $wave: text, the wave id
with found as (
    select previous_wave($wave) as previous_wave
)

select * from found
