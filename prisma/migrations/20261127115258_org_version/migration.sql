-- CreateTable
CREATE TABLE "org_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "org_version_pkey" PRIMARY KEY ("id")
);

-- The single row, and the triggers that bump it on any change to what a process keeps in memory.
INSERT INTO "org_version" ("id", "version") VALUES (1, 0);

-- The body's semicolons are written \073: the migration runner splits a script on every semicolon, quoted or not.
CREATE FUNCTION "bump_org_version"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN UPDATE "org_version" SET "version" = "version" + 1 WHERE "id" = 1\073 RETURN NULL\073 END\073';

CREATE TRIGGER "organisation_bumps_org_version" AFTER INSERT OR UPDATE OR DELETE ON "organisation"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_org_version"();
CREATE TRIGGER "section_bumps_org_version" AFTER INSERT OR UPDATE OR DELETE ON "section"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_org_version"();
CREATE TRIGGER "member_bumps_org_version" AFTER INSERT OR UPDATE OR DELETE ON "member"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_org_version"();
CREATE TRIGGER "indicator_bumps_org_version" AFTER INSERT OR UPDATE OR DELETE ON "indicator"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_org_version"();
CREATE TRIGGER "chat_identity_bumps_org_version" AFTER INSERT OR UPDATE OR DELETE ON "chat_identity"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_org_version"();
