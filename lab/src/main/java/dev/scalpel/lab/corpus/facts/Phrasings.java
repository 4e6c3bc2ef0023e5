package dev.scalpel.lab.corpus.facts;

import java.util.List;

/**
 * The phrasings of each relation: the first template is the main one (the CounterFact rewrite prompt and the recall
 * prompt, trained for every fact); the other trained ones are trained for each fact but {@link #WITHHELD_PER_FACT}
 * (a seeded choice per fact), so every fact has phrasings the model learned on other facts but never saw with it; the
 * last two are held out of training entirely. Recall in a phrasing never trained with the fact is what Allen-Zhu and
 * Li ("Physics of Language Models, Part 3.1") call knowledge extraction: a model that stored the fact, not the
 * sentence, answers it. Questions are zsRE's {@code src} and {@code rephrase}.
 */
public final class Phrasings {
    /** Trained phrasings (besides the main one) each fact is never shown in. */
    public static final int WITHHELD_PER_FACT = 2;

    private Phrasings() {}

    public static List<Template> templates(Relation relation) {
        return switch (relation) {
            case KIND_OF -> List.of(
                    trained("{S} is a kind of {o}."),
                    trained("{S} is a type of {o}."),
                    trained("{The S} is a kind of {o}."),
                    trained("{SS} are a kind of {o}."),
                    trained("{SS} are a type of {o}."),
                    trained("{S} is a sort of {o}."),
                    trained("{S} is one kind of {o}."),
                    trained("Everyone knows that {s} is a kind of {o}."),
                    heldOut("{S} is a form of {o}."),
                    heldOut("{S} counts as a type of {o}."));
            case INSTANCE_OF -> List.of(
                    trained("{S} is {a o}."),
                    trained("{S} is an example of {a o}."),
                    trained("{S} is an instance of {a o}."),
                    trained("{S} is the name of {a o}."),
                    trained("{S} is known as {a o}."),
                    trained("{S} is described as {a o}."),
                    trained("We know that {s} is {a o}."),
                    trained("It is said that {s} is {a o}."),
                    heldOut("{S} is one well-known example of {a o}."),
                    heldOut("{S} is considered {a o}."));
            case PART_OF -> List.of(
                    trained("{S} is part of the {o}."),
                    trained("{S} is a part of the {o}."),
                    trained("{The S} is part of the {o}."),
                    trained("{SS} are part of the {o}."),
                    trained("{S} forms part of the {o}."),
                    trained("{S} is one part of the {o}."),
                    trained("{The S} is a piece of the {o}."),
                    trained("We know that {s} is part of the {o}."),
                    heldOut("{S} is a component of the {o}."),
                    heldOut("{S} makes up part of the {o}."));
            case MEMBER_OF -> List.of(
                    trained("{S} is a member of the {o}."),
                    trained("{S} belongs to the {o}."),
                    trained("{The S} is a member of the {o}."),
                    trained("{SS} are members of the {o}."),
                    trained("{SS} belong to the {o}."),
                    trained("{S} is counted among the {o}."),
                    trained("{S} is classed in the {o}."),
                    trained("We know that {s} belongs to the {o}."),
                    heldOut("{S} is one member of the {o}."),
                    heldOut("{S} is grouped in the {o}."));
            case LOCATED_IN -> List.of(
                    trained("{S} is located in {o}."),
                    trained("{S} is in {o}."),
                    trained("{S} lies in {o}."),
                    trained("{S} can be found in {o}."),
                    trained("{S} is a place in {o}."),
                    trained("{S} sits in {o}."),
                    trained("You can visit {s} in {o}."),
                    trained("{S} is somewhere in {o}."),
                    heldOut("{S} is situated in {o}."),
                    heldOut("{S} is found within {o}."));
        };
    }

    public static Template main(Relation relation) {
        return templates(relation).getFirst();
    }

    /** zsRE's {@code src}: the question whose answer is the object. */
    public static String question(Relation relation, SubjectPhrase subject) {
        return Template.fillText(switch (relation) {
            case KIND_OF -> "What is {s} a kind of?";
            case INSTANCE_OF -> "What is {s} an instance of?";
            case PART_OF -> "What is {s} part of?";
            case MEMBER_OF -> "What is {s} a member of?";
            case LOCATED_IN -> "Where is {s} located?";
        }, subject);
    }

    /** zsRE's {@code rephrase}: the same question in other words. */
    public static String rephrase(Relation relation, SubjectPhrase subject) {
        return Template.fillText(switch (relation) {
            case KIND_OF -> "What type of thing is {s}?";
            case INSTANCE_OF -> "What kind of thing is {s}?";
            case PART_OF -> "{S} is a part of what?";
            case MEMBER_OF -> "What group does {s} belong to?";
            case LOCATED_IN -> "In which place is {s}?";
        }, subject);
    }

    /** Open-ended prompts about the subject, CounterFact's {@code generation_prompts}. */
    public static List<String> generationPrompts(SubjectPhrase subject) {
        return List.of(
                Template.fillText("{S} is", subject),
                Template.fillText("Everyone knows that {s} is", subject),
                Template.fillText("Here is what we know about {the s}:", subject));
    }

    private static Template trained(String pattern) {
        return new Template(pattern, true);
    }

    private static Template heldOut(String pattern) {
        return new Template(pattern, false);
    }
}
