// The journey's search attributes (registered on the server at start), so Temporal's own UI and
// visibility queries can filter journeys by stage, status, owner and amount.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const L2CStage = defineSearchAttributeKey('L2CStage', SearchAttributeType.KEYWORD);
export const L2CStatus = defineSearchAttributeKey('L2CStatus', SearchAttributeType.KEYWORD);
export const L2CStageEnteredAt = defineSearchAttributeKey('L2CStageEnteredAt', SearchAttributeType.DATETIME);
export const L2COwner = defineSearchAttributeKey('L2COwner', SearchAttributeType.KEYWORD);
export const L2CAmount = defineSearchAttributeKey('L2CAmount', SearchAttributeType.DOUBLE);

/** Every journey search attribute: the one list the servers register at start. */
export const journeySearchAttributeKeys = [L2CStage, L2CStatus, L2CStageEnteredAt, L2COwner, L2CAmount] as const;
