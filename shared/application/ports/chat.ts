/** What the chat gateway remembers: updates already taken, each chat's pace and account. */
export interface ChatSessions {
  /** True the first time an update id is seen (an update delivered twice acts once). */
  firstDelivery(updateId: number, now: number): Promise<boolean>;
  /** Counts a command of the chat in its minute: true while within `perMinute`. */
  withinRate(chatId: string, now: number, perMinute: number): Promise<boolean>;
  /** The account a chat chose with /account, if any. */
  accountOf(chatId: string): Promise<string | undefined>;
  setAccount(chatId: string, accountId: string): Promise<void>;
}

/** Answers a chat. */
export interface ChatReplies {
  reply(chatId: string, text: string): Promise<void>;
}
