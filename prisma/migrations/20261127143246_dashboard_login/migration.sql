-- CreateTable
CREATE TABLE "dashboard_link" (
    "id" SERIAL NOT NULL,
    "token_hash" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "dashboard_link_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dashboard_session" (
    "id" SERIAL NOT NULL,
    "token_hash" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dashboard_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "dashboard_link_token_hash_key" ON "dashboard_link"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "dashboard_session_token_hash_key" ON "dashboard_session"("token_hash");

-- CreateIndex
CREATE INDEX "dashboard_session_expires_at_idx" ON "dashboard_session"("expires_at");

-- AddForeignKey
ALTER TABLE "dashboard_link" ADD CONSTRAINT "dashboard_link_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dashboard_session" ADD CONSTRAINT "dashboard_session_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
