-- CreateTable
CREATE TABLE "nudge" (
    "member_id" INTEGER NOT NULL,
    "last_at" TIMESTAMPTZ(3) NOT NULL,
    "last_by" TEXT NOT NULL,

    CONSTRAINT "nudge_pkey" PRIMARY KEY ("member_id")
);

-- AddForeignKey
ALTER TABLE "nudge" ADD CONSTRAINT "nudge_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
