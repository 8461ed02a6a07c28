-- CreateTable
CREATE TABLE "bulletin_delivery" (
    "id" SERIAL NOT NULL,
    "period" TEXT NOT NULL,
    "member_id" INTEGER NOT NULL,
    "chat" TEXT NOT NULL,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bulletin_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "bulletin_delivery_period_member_id_key" ON "bulletin_delivery"("period", "member_id");

-- AddForeignKey
ALTER TABLE "bulletin_delivery" ADD CONSTRAINT "bulletin_delivery_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
