import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  GuildMemberRoleManager,
  type Interaction,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
} from 'discord.js';
import type { GenerationParams } from '../../generation/request.js';
import { type AuditEntry, postAudit } from '../../policy/audit.js';
import {
  type BlockedHit,
  compileBlockedTerms,
  findBlockedTerm,
  toBlockedRefusal,
} from '../../policy/blocked-terms.js';
import { effectivePolicy, serverLocale } from '../../policy/guild-policy.js';
import { applyChannelPolicy, type EffectivePolicy } from '../../policy/policy.js';
import { canBypassQuota, toQuotaRefusal } from '../../policy/quota.js';
import { UserError } from '../../user-error.js';
import type { BotDeps } from './command.js';

/**
 * A request that passed the server's policy, already counted against its quotas: what to change on
 * it, and how it ends. Every path ends in exactly one of `accepted` or `release`.
 */
export interface Admission {
  /** The parameters with the channel's content policy and the delivery options applied. */
  apply(params: GenerationParams): GenerationParams;
  /** The job is queued: the quota place stays taken; tell the audit channel. */
  accepted(params: GenerationParams): void;
  /** No job came of it (a later refusal or failure): give the quota place back. No-op once accepted. */
  release(): void;
}

/** Whether the interaction comes from an age-restricted channel (a thread: its parent). Unknown: no. */
export function isAgeRestricted(interaction: Interaction): boolean {
  const channel = interaction.channel;
  if (channel === null) return false;
  if (channel.isThread()) return channel.parent?.nsfw === true;
  return 'nsfw' in channel && channel.nsfw === true;
}

function roleIdsOf(interaction: Interaction): string[] {
  const roles = interaction.member?.roles;
  if (roles === undefined) return [];
  return roles instanceof GuildMemberRoleManager ? [...roles.cache.keys()] : roles;
}

type AdmissionInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;
type Audit = (entry: Omit<AuditEntry, 'userId' | 'channelId' | 'command'>) => void;

interface AdmissionTexts {
  prompt: string;
  negativePrompt?: string | undefined;
  /** Every `{a|b}` expansion of the prompt: each one is checked too. */
  variants?: readonly string[] | undefined;
}

/** Posts to the server's audit channel, where it has one, on behalf of this interaction. */
function auditFor(interaction: AdmissionInteraction, deps: BotDeps, policy: EffectivePolicy): Audit {
  return (entry) => {
    if (policy.auditChannelId === undefined) return;
    postAudit(
      interaction.client.rest,
      policy.auditChannelId,
      {
        ...entry,
        userId: interaction.user.id,
        channelId: interaction.channelId ?? '',
        // Result buttons (Reroll, Vary, Upscale, Remix) start /imagine jobs too.
        command: interaction.isChatInputCommand() ? interaction.commandName : 'imagine',
        viaButton: !interaction.isChatInputCommand(),
      },
      deps.log,
      serverLocale(deps, interaction.guildId),
    );
  };
}

/** The first blocked term in the prompt, each variant, or the negative prompt. */
function findBlockedHit(texts: AdmissionTexts, blockedTerms: readonly string[]): BlockedHit | undefined {
  const compiled = compileBlockedTerms(blockedTerms);
  return [texts.prompt, ...(texts.variants ?? [])].reduce<BlockedHit | undefined>(
    (found, prompt) => found ?? findBlockedTerm({ ...texts, prompt }, compiled),
    undefined,
  );
}

/**
 * Takes the member's quota place (cooldown, hourly limit) in one transaction; throws when over it,
 * after `onRefused`. Returns how to give the place back. Outside a server there is no quota.
 */
async function reserveQuota(
  interaction: AdmissionInteraction,
  deps: BotDeps,
  policy: EffectivePolicy,
  now: number,
  onRefused: () => void,
): Promise<() => Promise<void>> {
  const { guildId } = interaction;
  if (guildId === null) return async () => {};
  const bypass = canBypassQuota(
    {
      roleIds: roleIdsOf(interaction),
      hasManageServer: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
    },
    policy,
  );
  const reservation = await deps.usage.admit(guildId, interaction.user.id, now, policy, bypass);
  const { decision } = reservation;
  if (!decision.ok) {
    onRefused();
    throw new UserError(decision.reason, toQuotaRefusal(decision));
  }
  return reservation.release;
}

/**
 * Checks a validated request against the server's policy before anything reaches the WebUI:
 * blocked terms in what the member typed, then the cooldown and the hourly limit. The quota check
 * and its record are one transaction (`usage.admit`), so two requests at the same instant cannot
 * both pass. Rejects with a UserError naming the problem (with a relative timestamp for quotas);
 * nothing is recorded then. Otherwise the caller must end the admission with `accepted` or `release`.
 * Awaited before the reply is deferred, so a refusal stays ephemeral.
 */
export async function admitGeneration(
  interaction: AdmissionInteraction,
  deps: BotDeps,
  texts: AdmissionTexts,
): Promise<Admission> {
  const { guildId } = interaction;
  const policy = effectivePolicy(deps.config, deps.settings, guildId);
  const audit = auditFor(interaction, deps, policy);
  const typed = { prompt: texts.prompt, negativePrompt: texts.negativePrompt ?? '' };

  const hit = findBlockedHit(texts, policy.blockedTerms);
  if (hit !== undefined) {
    deps.log.info({ guildId, userId: interaction.user.id, field: hit.field }, 'blocked term in a request');
    audit({ outcome: 'blocked', ...typed });
    throw new UserError('blocked-term', toBlockedRefusal(hit));
  }
  const now = deps.now();
  const releaseQuota = await reserveQuota(interaction, deps, policy, now, () =>
    audit({ outcome: 'over-quota', ...typed }),
  );

  const ageRestricted = isAgeRestricted(interaction);
  let settled = false;
  return {
    apply(params) {
      const outcome = applyChannelPolicy(params.negativePrompt, policy, ageRestricted);
      return {
        ...params,
        negativePrompt: outcome.negativePrompt,
        delivery: { attachmentSizeLimit: interaction.attachmentSizeLimit, spoiler: outcome.spoiler },
      };
    },
    accepted(params) {
      settled = true;
      audit({
        outcome: 'queued',
        prompt: params.prompt,
        negativePrompt: params.negativePrompt,
        size: `${params.width}×${params.height}${params.count > 1 ? ` ×${params.count}` : ''}`,
      });
    },
    release() {
      if (settled) return;
      settled = true;
      releaseQuota().catch((error: unknown) => {
        deps.log.warn(
          { err: error, guildId, userId: interaction.user.id },
          'giving a quota place back failed',
        );
      });
    },
  };
}
