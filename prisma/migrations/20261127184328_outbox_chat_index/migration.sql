-- CreateIndex
CREATE INDEX "outbox_message_chat_id_idx" ON "outbox_message"("chat", "id");
