-- workshop_milestones: the invitation milestones of one wave, at the precision the source gives
-- (a month stays a month; 'early_month' is the beginning of a month: it has no end date, because
-- the source gives none, issue #8): period_end is NULL there.
-- $wave: text, the wave id
-- counting rule: listing
-- column milestone: label milestone.
-- column period_start: date
-- column period_end: date
-- column precision: label precision.
with milestones as (
    select milestone_order, milestone, period_start, period_end, precision
    from workshop_milestones
    where wave_id = $wave
)

select milestone, period_start, period_end, precision
from milestones
order by milestone_order
