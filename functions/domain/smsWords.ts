/** Words an SMS never carries, in any case and inside any word: each names the offence. */
export const SMS_FORBIDDEN_WORDS = ['stalk', 'harass'] as const;

/** The first word of SMS_FORBIDDEN_WORDS the text holds, if any. */
export const forbiddenSmsWord = (text: string): string | undefined => {
  const lower = text.toLowerCase();
  return SMS_FORBIDDEN_WORDS.find((w) => lower.includes(w));
};
